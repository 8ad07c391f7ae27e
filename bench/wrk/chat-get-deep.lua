-- chat/get DEEP pages via real next_page_tokens, as export jobs page through large sessions: each
-- connection's traversal starts with a first page over a long window of a big or medium session
-- and then follows the token of each response, repeating the same query (docs/api.md#paging-and-page-tokens),
-- until the token is empty; then a new traversal starts. Responses are parsed for the token, so
-- the numbers include wrk's cost of handing each body to Lua (the baseline pays it too).
--   ZOOMCHAT_BENCH_TARGETS=bench/data/.../targets.lua wrk -t2 -c64 -d15s -s bench/wrk/chat-get-deep.lua http://127.0.0.1:5090
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(dir .. "common.lua")
local targets

-- wrk does not tell which connection a response belongs to, so a response's follow-up is queued and
-- the next request of this thread takes it. With one request in flight per connection there are as
-- many traversals going on as connections.
local pending = {}
first_pages, deep_pages, api_errors, finished_traversals = 0, 0, 0, 0

function setup(thread) bench.setup(thread) end

function init(args)
  targets = bench.load_targets()
  bench.seed()
end

local function start_traversal()
  local session = bench.pick(math.random() < 0.6 and targets.by_kind.big or targets.by_kind.medium)
  local from, to
  if math.random() < 0.5 then
    from, to = bench.days(session.first_ms, bench.span_days(session.first_ms, session.last_ms))
  else
    from, to = bench.window_around(session.first_ms, session.last_ms, 90)
  end
  return bench.form(targets.accounts[session.account], { "session_id", session.id, "from", from, "to", to })
end

function request()
  local body = table.remove(pending)
  if body then
    deep_pages = deep_pages + 1
  else
    first_pages = first_pages + 1
    body = start_traversal()
  end
  return bench.post(targets, "/chat/get", body)
end

function response(status, headers, body)
  if status ~= 200 or body:sub(1, 9) == '{"error":' then
    api_errors = api_errors + 1
    return
  end
  local token = body:match('"next_page_token":"([^"]*)"')
  if not token or token == "" then
    finished_traversals = finished_traversals + 1
    return
  end
  local session_id = body:match('^{"session_id":"([^"]*)"')
  local from, to = body:match('"from":"([^"]*)","to":"([^"]*)"')
  if not (session_id and from and to) then
    api_errors = api_errors + 1
    return
  end
  local session = targets.by_id[session_id]
  -- The baseline's page names a session of the archive that may not be among the targets.
  local account = targets.accounts[session and session.account or 1]
  table.insert(pending, bench.form(account,
    { "session_id", session_id, "from", from, "to", to, "next_page_token", token }))
end

done = bench.done("chat/get deep pages", { "first_pages", "deep_pages", "finished_traversals", "api_errors" })
