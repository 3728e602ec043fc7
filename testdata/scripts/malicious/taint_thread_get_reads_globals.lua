-- thread:get reads a global of the thread's state, and thread:set writes one.
local threads = {}
function setup(thread)
   table.insert(threads, thread)
   thread:set("run", os.execute) -- want WL103
end
function init(args)
   run("id") -- want WL103
end
function response(status, headers, body)
   last_body = body
end
function done()
   for _, t in ipairs(threads) do
      print(t:get("last_body")) -- want WL501
   end
end
