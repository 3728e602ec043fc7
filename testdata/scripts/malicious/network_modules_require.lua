-- Modules that can open connections (WL301); JSON libraries and wrk itself are fine.

local socket = require("socket") -- want WL301
local http = require "socket.http" -- want WL301
local https = require("ssl.https") -- want WL301
local http_request = require "http.request" -- want WL301
local resty_http = require("resty.http") -- want WL301
local curl = require "curl" -- want WL301
local url = require("socket.url") -- want WL301
local cjson = require "cjson"
local json = require("json")
local w = require("wrk")

local payload = cjson.encode({ probe = true })

function request()
   return w.format("POST", "/probe", { ["Content-Type"] = "application/json" }, payload)
end

function done(summary, latency, requests)
   print(type(socket), type(http), type(https), type(http_request))
   print(type(resty_http), type(curl), type(url), type(json))
end
