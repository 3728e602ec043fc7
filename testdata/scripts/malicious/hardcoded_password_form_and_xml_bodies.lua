-- Literal credentials in form-encoded and XML bodies are found as in JSON (WL601).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=password&username=u&password=test00000" -- want WL601

local soap = [[
<soapenv:Envelope>
  <soapenv:Body>
    <reqClientAuth returnToken="N">
      <username>oxi</username>
      <password>oxiapi</password>
    </reqClientAuth>
  </soapenv:Body>
</soapenv:Envelope>]] -- want@-8 WL601

local key_xml = "<config><apiKey>9f8e7d6c5b4a3928</apiKey></config>" -- want WL601
local json_login = '{"username":"load","password":"test00000"}' -- want WL601

function request()
   local r = math.random(3)
   if r == 1 then
      return wrk.format("POST", "/soap", { ["Content-Type"] = "text/xml" }, soap)
   elseif r == 2 then
      return wrk.format("POST", "/config", { ["Content-Type"] = "application/xml" }, key_xml)
   end
   return wrk.format("POST", "/login", { ["Content-Type"] = "application/json" }, json_login)
end
