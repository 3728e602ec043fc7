-- package.loaded and package.preload writes followed by require.
package.loaded["helpers"] = os
local h = require("helpers")
h.execute("id") -- want WL103

package.preload["util"] = function() return io end
local u = require("util")
u.popen("ls") -- want WL103
