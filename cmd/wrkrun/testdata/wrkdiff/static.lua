-- A static request from the wrk table: method, body and headers.
wrk.method = "POST"
wrk.body = "payload=1"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.path = "/static?x=1"
