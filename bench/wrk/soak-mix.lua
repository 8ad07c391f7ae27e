-- The soak load of bench/soak.sh (docs/reliability.md#soak): half chat/get first pages (chat-get-first.lua),
-- half chat/list 30-day windows (chat-list.lua), drawn as those scripts draw them.
--
-- ZOOMCHAT_BENCH_RATE paces the load at that many requests per second in all, whatever the latency:
-- each thread hands out send times spaced 1/(rate/threads) apart, through wrk's delay() hook
-- (https://github.com/wg/wrk/blob/master/SCRIPTING), reading the monotonic clock through LuaJIT's ffi.
-- A connection whose answer came late takes the next free send time, not the ones it missed, so a
-- server slower than the rate is offered what it can take, not a burst. wrk has no constant-rate
-- mode of its own (wrk2's -R); latencies are from send to answer, as wrk measures them.
-- Unset or 0: as fast as the server answers.
--   ZOOMCHAT_BENCH_TARGETS=bench/data/.../targets.lua ZOOMCHAT_BENCH_RATE=2000 wrk -t2 -c64 -d10s -s bench/wrk/soak-mix.lua http://127.0.0.1:18190
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(dir .. "common.lua")

dofile(dir .. "chat-get-first.lua")
local get_init, get_request = init, request
with_email_override = false
dofile(dir .. "chat-list.lua")
local list_init, list_request = init, request

local rate = tonumber(os.getenv("ZOOMCHAT_BENCH_RATE") or "0") or 0
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } zoomchat_timespec;
  int clock_gettime(int clock, zoomchat_timespec *time);
]]
local now_buffer = ffi.new("zoomchat_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_buffer) -- CLOCK_MONOTONIC
  return tonumber(now_buffer.tv_sec) * 1000 + tonumber(now_buffer.tv_nsec) / 1e6
end
-- Each thread paces its share: wrk's -t, which the script cannot read, given again in ZOOMCHAT_BENCH_THREADS.
local thread_count = tonumber(os.getenv("ZOOMCHAT_BENCH_THREADS") or "1") or 1
local next_send_ms = nil

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

if rate > 0 then
  function delay()
    local now = now_ms()
    local period = 1000 * thread_count / rate
    if next_send_ms == nil or next_send_ms < now then next_send_ms = now end
    local wait = next_send_ms - now
    next_send_ms = next_send_ms + period
    return math.floor(wait + 0.5)
  end
end

done = bench.done("chat/get first pages + chat/list")
