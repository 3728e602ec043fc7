-- The default Host header follows wrk.host and wrk.port set by the script.
wrk.host = "example.org"
wrk.port = 9999
function init()
  print("Host", wrk.headers["Host"])
end
