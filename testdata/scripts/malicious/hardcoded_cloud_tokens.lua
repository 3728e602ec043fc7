-- Known token formats: AWS access key id, GitHub personal token, Slack bot token (WL601).

local aws_key = "AKIAZ4X7Q2M9RT3LWKPB" -- want WL601
local gh_token = "ghp_R7kM2pX9vQ4tL8wN3bJ6yH1cF5dS0aZeUgTi" -- want WL601
local slack = "xoxb-2817463950-4419283746152-q8ZrT2vKx9LmN4pW7sYc1BdF" -- want WL601

wrk.headers["X-Amz-Key"] = aws_key
wrk.headers["X-GitHub-Token"] = gh_token

function request()
   local path = "/hooks/notify?channel=bench&t=" .. os.time()
   return wrk.format("POST", path, { ["X-Slack-Token"] = slack }, "{}")
end

function done(summary, latency, requests)
   print(string.format("%d requests", summary.requests))
end
