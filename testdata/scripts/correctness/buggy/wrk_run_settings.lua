-- WL805: run settings set from the script configure nothing; they are command-line flags.
wrk.method = "GET"
wrk.requests = 100000 -- want WL805
wrk.connections = 400 -- want WL805
wrk.duration = "30s" -- want WL805
wrk.timeout = 10 -- want WL805
