-- WL805: wrk.header (no s) does not exist; indexing it fails.
wrk.method = "POST"
wrk.body = '{"query":"{ me { id } }"}'
wrk.header["Content-Type"] = "application/json" -- want WL805
