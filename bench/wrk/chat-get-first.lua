-- chat/get FIRST pages, as an export job starts each session of a window: many different sessions
-- (mostly small ones, some of the largest) and windows (a day, a week, 30 days, the session's whole
-- life, the whole archive). Never the same request twice in a row; no page token.
--   ZOOMCHAT_BENCH_TARGETS=bench/data/.../targets.lua wrk -t2 -c64 -d15s -s bench/wrk/chat-get-first.lua http://127.0.0.1:5090
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(dir .. "common.lua")
local targets

function setup(thread) bench.setup(thread) end

function init(args)
  targets = bench.load_targets()
  bench.seed()
end

local function window(session)
  local u = math.random()
  if u < 0.35 then return bench.window_around(session.first_ms, session.last_ms, 30)
  elseif u < 0.60 then return bench.window_around(session.first_ms, session.last_ms, 7)
  elseif u < 0.80 then return bench.window_around(session.first_ms, session.last_ms, 1)
  elseif u < 0.90 then return bench.days(session.first_ms, bench.span_days(session.first_ms, session.last_ms))
  else
    local account = targets.accounts[session.account]
    return bench.days(account.first_ms, bench.span_days(account.first_ms, account.last_ms))
  end
end

function request()
  local u = math.random()
  local kind = u < 0.70 and "sample" or (u < 0.85 and "medium" or "big")
  local session = bench.pick(targets.by_kind[kind])
  local from, to = window(session)
  local body = bench.form(targets.accounts[session.account], { "session_id", session.id, "from", from, "to", to })
  return bench.post(targets, "/chat/get", body)
end

done = bench.done("chat/get first pages", bench.install_checks("chat_messages"))
