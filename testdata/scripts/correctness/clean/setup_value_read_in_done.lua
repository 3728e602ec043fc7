-- Clean: a value written in setup() lives in the main state, where done() runs.
thread_count = 0
started_at = nil

function setup(thread)
   thread_count = thread_count + 1
   started_at = started_at or os.time()
end

function done(summary)
   print(thread_count .. " threads, started at " .. started_at)
end
