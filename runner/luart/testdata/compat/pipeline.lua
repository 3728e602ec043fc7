-- Three requests per batch, pipelined.
init = function(args)
   local paths = { "/one", "/two", "/three" }
   local reqs = {}
   for i, p in ipairs(paths) do
      reqs[i] = wrk.format(nil, p)
   end
   batch = table.concat(reqs)
end

request = function()
   return batch
end
