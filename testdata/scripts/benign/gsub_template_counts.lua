-- Benign: fill a path template with gsub and a table, count words in bodies with a gsub callback.
local vars = { user = "42", item = "7" }
local template = "/users/{user}/items/{item}"
local path = template:gsub("{(%w+)}", vars)
local words = 0

function request()
  return wrk.format("GET", path)
end

function response(status, headers, body)
  body:gsub("%w+", function() words = words + 1 end)
end

function done(summary)
  print(string.format("%d words in %d responses", words, summary.requests)) -- want WL803
end
