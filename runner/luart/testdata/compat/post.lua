-- A static POST with a JSON body.
wrk.method = "POST"
wrk.body   = '{"name":"wrk","n":1}'
wrk.headers["Content-Type"] = "application/json"
