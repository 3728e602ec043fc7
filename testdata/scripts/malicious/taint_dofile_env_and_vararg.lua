-- Code paths from the environment and from the chunk's varargs are executed (WL401 + WL504).

local helpers = os.getenv("BENCH_HELPERS") -- want WL201
if helpers then
   dofile(helpers) -- want WL401 WL504
end

local extra = ...
if extra then
   local gen = loadstring("return " .. extra) -- want WL401 WL504
   wrk.path = gen and gen() or "/"
end
