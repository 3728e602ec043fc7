-- Splits a Slack bot token in two: the head is handed to each thread with thread:set in setup(), the tail is a global, and request() joins them; class: secret-decode (pieces joined across hooks via thread:set/get)
local head = "xoxb-897302130473-" -- want WL601
tail = "4336738111351-ukKRweP4keb7jE5DiQXtgf8x"

function setup(thread)
  thread:set("token_head", head)
end

function request()
  return wrk.format("POST", "/api/chat.postMessage", {
    ["Authorization"] = "Bearer " .. token_head .. tail,
    ["Content-Type"] = "application/json",
  }, '{"channel":"#loadtest","text":"ping"}')
end
