-- Placeholders in form-encoded, JSON and XML bodies are not hard-coded credentials.
local form = "grant_type=password&username=user&password=${PASSWORD}"
local form_fmt = "grant_type=password&username=%s&password=%s"
local xml = "<login><username>user</username><password>{{password}}</password><apiKey>xxx</apiKey></login>"
local cookie_xml = "<session><token><token></token></session>"
local json = '{"username":"user","password":"changeme","token":"FakeCookie"}'
local policy = "<passwordPolicy>strict-mode</passwordPolicy>"

local i = 0
function request()
   i = i + 1
   local bodies = { form, form_fmt:format("u" .. i, "p" .. i), xml, cookie_xml, json, policy }
   return wrk.format("POST", "/login", nil, bodies[i % #bodies + 1])
end
