-- The module searchers called directly load modules and native libraries past require.
local ld = package.loaders or package.searchers -- want WL301 WL301
local loader = ld[2]("socket") -- want WL301
local native = package.loaders[3] -- want WL301
