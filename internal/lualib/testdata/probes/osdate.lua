-- os.date (UTC, fixed times), os.difftime, os.time with a table.
local t = 1700000000
for _, f in ipairs({"!%Y-%m-%d %H:%M:%S", "!%a %A %b %B", "!%c", "!%x %X", "!%j %U %W %w %y %p %I %%", "!%d/%m/%y", "!%H", "!%Z", "!%e", "!%D", "!%F %T", "!%s", "!%u %V %G %g", "!%h %n %t %C %R %r", "!%q", "!"}) do
  print(f, (pcall(os.date, f, t)), os.date(f, t))
end
local d = os.date("!*t", t)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
print(os.difftime(t + 60, t), os.difftime(t), pcall(os.difftime))
print(os.time({year = 2024, month = 1, day = 15, hour = 12}) - os.time({year = 2024, month = 1, day = 14, hour = 12}))
print(type(os.time()), type(os.clock()), type(os.date()), #os.date() > 10)
for _, ts in ipairs({0, 86399, 951782400, 978307200, 1104537600, 1230681600, 1262304000, 1293840000, 1609459199, 1704067200, 1735603200, 2147483647}) do
  local d = os.date("!*t", ts)
  print(ts, os.date("!%a %j %U %W %V %G %g %u %w %C %y %e %I %p", ts), d.yday, d.wday)
end
print(pcall(os.date, "!%Y", "x"))
print(os.date("!%Y-%m-%d", 1.9e9), os.date("!%%%Y%", 0))
