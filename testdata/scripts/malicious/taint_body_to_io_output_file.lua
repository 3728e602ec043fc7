-- Default output redirected to a file (WL101) that collects bodies and auth headers (WL501).

io.output("responses.log") -- want WL101

function response(status, headers, body)
   io.write(status, " ", body, "\n") -- want WL501
   io.output():write(headers["Authorization"] or "-", "\n") -- want WL501
end

function done(summary, latency, requests)
   io.write("requests ", summary.requests, "\n")
   io.close()
end
