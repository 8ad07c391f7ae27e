-- The soak load of bench/soak.sh (docs/reliability.md#soak): half chat/get first pages (chat-get-first.lua),
-- half chat/list 30-day windows (chat-list.lua), drawn as those scripts draw them.
--
-- ZOOMCHAT_BENCH_DELAY_MS paces the load: each connection waits that many milliseconds (a fraction
-- is rounded up or down at random, so that the mean is kept) before sending its next request,
-- through wrk's delay() hook (https://github.com/wg/wrk/blob/master/SCRIPTING). wrk has no
-- constant-rate mode, so the offered rate is connections / (latency + delay): bench/soak.sh
-- calibrates the delay against the rate it aims at. Unset or 0: as fast as the server answers.
--   ZOOMCHAT_BENCH_TARGETS=bench/data/.../targets.lua wrk -t2 -c64 -d10s -s bench/wrk/soak-mix.lua http://127.0.0.1:18190
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(dir .. "common.lua")

dofile(dir .. "chat-get-first.lua")
local get_init, get_request = init, request
with_email_override = false
dofile(dir .. "chat-list.lua")
local list_init, list_request = init, request

local delay_ms = tonumber(os.getenv("ZOOMCHAT_BENCH_DELAY_MS") or "0") or 0

function setup(thread) bench.setup(thread) end

function init(args)
  get_init(args)
  list_init(args)
  bench.seed()
end

function request()
  if math.random() < 0.5 then return get_request() end
  return list_request()
end

if delay_ms > 0 then
  function delay()
    local whole = math.floor(delay_ms)
    if math.random() < delay_ms - whole then whole = whole + 1 end
    return whole
  end
end

done = bench.done("chat/get first pages + chat/list")
