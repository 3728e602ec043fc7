-- table.concat, string.format and case changes of constants still fold to library names.

local parts = { "ex", "ecute" }

function init(args)
   wrk.headers["Accept"] = "*/*"
end

function done(summary, latency, requests)
   os[table.concat{ "ex", "ecute" }]("id") -- want WL103
   os[table.concat({ "re", "name" })]("a.csv", "b.csv") -- want WL104
   os[table.concat({ "ex", "ec", "ute" }, "")]("uptime") -- want WL103
   os[string.format("%s%s", "ex", "ecute")]("date") -- want WL103
   os[("%sute"):format("exec")]("who") -- want WL103
   io[string.lower("POPEN")]("ls") -- want WL103
   os[("REMOVE"):lower()]("/tmp/a") -- want WL104
   _G[string.upper("os")] = nil
   os[table.concat(parts)]("id") -- want WL103
end
