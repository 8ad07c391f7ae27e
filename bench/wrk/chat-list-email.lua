-- chat/list over 30-day windows WITH email: half of the requests name a busy user (in many
-- sessions), half a quiet one. Everything else as chat-list.lua.
--   ZOOMCHAT_BENCH_TARGETS=bench/data/.../targets.lua wrk -t2 -c64 -d15s -s bench/wrk/chat-list-email.lua http://127.0.0.1:5090
with_email_override = true
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "chat-list.lua")
