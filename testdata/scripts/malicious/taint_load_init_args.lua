-- A path generator given on the command line and compiled with load() (WL401 + WL504).
-- usage: wrk -s taint_load_init_args.lua http://host -- "return '/item/' .. math.random(1000)"

local make_path

function init(args)
   make_path = assert(load(args[1])) -- want WL401 WL504
   math.randomseed(os.time())
end

function request()
   return wrk.format("GET", make_path())
end
