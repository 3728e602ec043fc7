-- Benign: fills URL templates such as /users/{user}/orders/{order} with string.gsub and a function replacement
local templates = {
  "/users/{user}/orders/{order}",
  "/users/{user}/wishlist",
  "/stores/{store}/inventory?sku={sku}",
}

local function fill(template)
  return (template:gsub("{(%w+)}", function(name)
    if name == "user" then return tostring(math.random(1, 5000)) end
    if name == "order" then return string.format("ORD-%06d", math.random(1, 999999)) end
    if name == "store" then return tostring(math.random(1, 40)) end
    if name == "sku" then return "SKU" .. math.random(1000, 9999) end
    return name
  end))
end

function request()
  return wrk.format("GET", fill(templates[math.random(#templates)]))
end
