-- Writes error response bodies to stderr with the write method taken out of the file-handle metatable and called as a plain function; class: novel (file-handle method extracted from its metatable)
local emit = getmetatable(io.stderr).__index.write
local sink = io.stderr

function response(status, headers, body)
  if status >= 400 then
    emit(sink, status, " ", body, "\n") -- want WL501
  end
end
