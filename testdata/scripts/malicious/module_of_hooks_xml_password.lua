-- A module of hooks (response = utils.response in the script that loads it) that prints bodies, and a SOAP body with a password.
local _M = {}

wrk.body = "<login><user>svc</user><password>oxiapi77</password></login>" -- want WL601

function _M.response(status, headers, body)
  if status ~= 200 then print(body) end -- want WL501
end

return _M
