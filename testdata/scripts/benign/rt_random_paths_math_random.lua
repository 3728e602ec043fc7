-- Benign: random product ids and page numbers for a catalogue endpoint
math.randomseed(os.time())

local categories = {"shoes", "shirts", "bags", "hats"}

function request()
  local cat = categories[math.random(#categories)]
  local page = math.random(1, 20)
  local path = string.format("/catalog/%s?page=%d&size=24", cat, page)
  if math.random() < 0.2 then
    path = string.format("/product/%d", math.random(100000, 999999))
  end
  return wrk.format("GET", path)
end
