-- Shared by the load scripts of bench/run.sh (docs/benchmarks.md). Loaded with dofile from each script; every
-- wrk thread runs its own copy, and the main thread's copy collects the threads' counters in done().
--
-- The targets file (ZOOMCHAT_BENCH_TARGETS) is a Lua table that bench/run.sh writes from the data
-- generator's sidecar (FILE.meta.json) and the credentials it created:
--   return { prefix = "/v1", accounts = { { name, credentials, first_ms, last_ms, busy_emails, quiet_emails } },
--            sessions = { { account, id, kind = "big"|"medium"|"sample", messages, first_ms, last_ms } } }
local M = {}

local DAY_MS = 86400000

M.headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

local threads = {}

function M.load_targets()
  local path = os.getenv("ZOOMCHAT_BENCH_TARGETS")
  if not path or path == "" then
    error("ZOOMCHAT_BENCH_TARGETS must name the targets file that bench/run.sh writes (bench/data/.../targets.lua)")
  end
  local targets = dofile(path)
  -- Prism serves the spec's paths without the server's /v1 base path.
  targets.prefix = os.getenv("ZOOMCHAT_BENCH_PREFIX") or targets.prefix or "/v1"
  targets.by_kind = { big = {}, medium = {}, sample = {} }
  targets.by_id = {}
  for _, session in ipairs(targets.sessions) do
    table.insert(targets.by_kind[session.kind], session)
    targets.by_id[session.id] = session
  end
  for kind, list in pairs(targets.by_kind) do
    if #list == 0 then targets.by_kind[kind] = targets.sessions end
  end
  return targets
end

-- Numbers each thread (in the main state, before init) and keeps it for done().
function M.setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

-- The same sequence of requests on every run and every server: comparisons are like for like.
-- Every server gets the same sequence in a round, and every round (and the warm-up and the check) a
-- new one: ZoomChat keeps chat/list results of recent queries, and a round replaying the last one's
-- requests would measure those instead of the archive.
function M.seed()
  local round = tonumber(os.getenv("ZOOMCHAT_BENCH_ROUND") or "0") or 0
  math.randomseed(7919 * (thread_number or 1) + 104729 * (round + 2) + 17)
end

function M.pick(list)
  return list[math.random(#list)]
end

-- yyyy-MM-ddTHH:mm:ss.fffZ, which ZoomChat echoes unchanged, so a follow-up request repeats the
-- first one's query exactly (docs/api.md#dates, docs/api.md#paging-and-page-tokens).
function M.iso(ms)
  local seconds = math.floor(ms / 1000)
  return os.date("!%Y-%m-%dT%H:%M:%S", seconds) .. string.format(".%03dZ", ms - seconds * 1000)
end

-- Whole UTC days, as export jobs ask: from the first day's 00:00:00.000 to the last day's 23:59:59.999.
function M.days(first_day_ms, days)
  local from = math.floor(first_day_ms / DAY_MS) * DAY_MS
  return M.iso(from), M.iso(from + days * DAY_MS - 1)
end

-- A window of `days` whole days that contains a random moment of [first_ms, last_ms].
function M.window_around(first_ms, last_ms, days)
  local moment = first_ms + math.random() * (last_ms - first_ms)
  return M.days(moment - math.random() * (days - 1) * DAY_MS, days)
end

function M.span_days(first_ms, last_ms)
  return math.floor(last_ms / DAY_MS) - math.floor(first_ms / DAY_MS) + 1
end

function M.form(account, fields)
  local body = account.credentials
  for i = 1, #fields, 2 do
    body = body .. "&" .. fields[i] .. "=" .. fields[i + 1]
  end
  return body
end

function M.post(targets, endpoint, body)
  return wrk.format("POST", targets.prefix .. endpoint, M.headers, body)
end

-- ZOOMCHAT_BENCH_CHECK=1: also look at each response (wrk then hands every body to Lua, which costs
-- throughput, so measurements leave it off): count error bodies and pages that hold nothing.
-- `list_key` is the response's array: "chat_messages" or "chat_list".
function M.install_checks(list_key)
  if os.getenv("ZOOMCHAT_BENCH_CHECK") ~= "1" then return nil end
  api_errors, empty_pages, full_pages = 0, 0, 0
  local empty = '"' .. list_key .. '":[]'
  response = function(status, headers, body)
    if status ~= 200 or body:sub(1, 9) == '{"error":' then
      api_errors = api_errors + 1
    elseif body:find(empty, 1, true) then
      empty_pages = empty_pages + 1
    else
      full_pages = full_pages + 1
    end
  end
  return { "api_errors", "empty_pages", "full_pages" }
end

-- One machine-readable line for bench/run.sh, then a human one. Counters named in `counters` are
-- summed over the threads (each script keeps its own, as globals of its threads).
function M.done(name, counters)
  return function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors
    local result = {
      string.format('"load":"%s"', name),
      string.format('"requests":%d', summary.requests),
      string.format('"seconds":%.3f', seconds),
      string.format('"rps":%.1f', summary.requests / seconds),
      string.format('"p50_ms":%.3f', latency:percentile(50) / 1000),
      string.format('"p90_ms":%.3f', latency:percentile(90) / 1000),
      string.format('"p99_ms":%.3f', latency:percentile(99) / 1000),
      string.format('"max_ms":%.3f', latency.max / 1000),
      string.format('"bytes_per_response":%.0f', summary.requests > 0 and summary.bytes / summary.requests or 0),
      string.format('"non_2xx":%d', errors.status),
      string.format('"socket_errors":%d', errors.connect + errors.read + errors.write + errors.timeout),
    }
    for _, counter in ipairs(counters or {}) do
      local total = 0
      for _, thread in ipairs(threads) do
        total = total + (thread:get(counter) or 0)
      end
      table.insert(result, string.format('"%s":%d', counter, total))
    end
    io.write("BENCH_RESULT {" .. table.concat(result, ",") .. "}\n")
    io.write(string.format("%s: %.1f requests/s, p50 %.2f ms, p99 %.2f ms, %d non-2xx, %d socket errors\n",
      name, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout))
  end
end

return M
