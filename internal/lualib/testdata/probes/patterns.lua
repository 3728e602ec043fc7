-- find, match, gmatch with Lua patterns.
local cases = {
  {"hello world", "o"}, {"hello world", "o", 6}, {"hello world", "l+"}, {"hello world", "(l+)"},
  {"hello world", "^h"}, {"hello world", "^w"}, {"hello world", "d$"}, {"hello world", "o$"},
  {"hello", ""}, {"", ""}, {"", "a*"}, {"abc", ".-"}, {"abc", ".-$"}, {"abc", "a?b?c?d?"},
  {"key = value", "(%w+)%s*=%s*(%w+)"}, {"  x", "()x()"}, {"THE (quick) fox", "%((%a+)%)"},
  {"f(a(b)c)d", "%b()"}, {"[[x]]", "%b[]"}, {"no close (", "%b()"}, {"THE (quick) fox", "%f[%a]%a+"},
  {"hello world", "%f[%w]%w+$"}, {"THE END", "%f[%l]"}, {"aaa", "a-b"}, {"aaab", "a-b"},
  {"aaa", "^a-$"}, {"x = 10", "[%w_]+"}, {"a.b.c", "%."}, {"a+b", "+", 1, true}, {"a+b", "a+b", 1, true},
  {"a.b", ".", 1, true}, {"abc", "[a-b]+"}, {"abc", "[^a]+"}, {"a]b", "[]]"}, {"a-b", "[a-]+"},
  {"a^b", "[%^]"}, {"a^b", "[b^]+"}, {"123abc", "%d+"}, {"123abc", "%D+"}, {"\0abc", "%z"},
  {"a\0b", "[%z]"}, {"tab\there", "%s"}, {"UPPER lower", "%u+"}, {"UPPER lower", "%l+"},
  {"x!y", "%p"}, {"x!y", "%P+"}, {"\1\2x", "%c+"}, {"0xFF", "%x+", 3}, {"word1 word2", "%w+", -5},
  {"abc", "b", -1}, {"abc", "b", -10}, {"abc", "", 10}, {"abc", "", 4}, {"abc", "", -10},
  {"abc", "c", 3}, {"abc", "c", 4}, {"aXb", "%u"}, {"hello", "(h)(e)(l)(l)(o)"}, {"hello", "((h)(e))"},
  {"abcabc", "(abc)%1"}, {"abcab", "(abc)%1"}, {"aa", "(a)%1"}, {"x", "()"}, {"abc", "()b()"},
  {"date 2024-01-15", "(%d+)-(%d+)-(%d+)"}, {"  trim  ", "^%s*(.-)%s*$"}, {"a,b,,c", "([^,]*)"},
  {"path/to/file.txt", "([^/]+)$"}, {"path/to/file.txt", "%.(%w+)$"}, {"é", "%a"}, {"\200", "."},
  {"abc", "%g+"}, {"a b", "%G"}, {"))", ")"}, {"x", "[a-]"}, {"-", "[a-]"}, {"b", "[%a-z]"},
  {"ab", "a*?"}, {"aaa", "a*a"}, {"aaa", "a+a+"}, {"abab", "(ab)*"}, {"[x]", "[[]"},
}
for i, c in ipairs(cases) do
  print(i, "find", pcall(string.find, c[1], c[2], c[3], c[4]))
  print(i, "match", pcall(string.match, c[1], c[2], c[3]))
end
local errs = {"%", "[a", "[", "%f", "%fa", "(", "%1", "(()%2)", "%b", "%ba", "[%", "[a-", "(a)%2",
  "(()", "%0", "(a)(b)%3", "((a)", "a)", "[^", "%g(", "x%"}
for i, p in ipairs(errs) do
  print(i, p, pcall(string.find, "abc", p))
  print(i, p, pcall(string.match, "abc", p))
end
local caps = {}
for i = 1, 33 do caps[i] = "()" end
print(pcall(string.find, "a", table.concat(caps)))
print(pcall(string.find, "a", table.concat(caps, "", 1, 32)))
print(pcall(string.match, ("a"):rep(300), ("(a)"):rep(20)))
print(pcall(string.match, ("a"):rep(300), ("a?"):rep(300) .. ("a"):rep(300)))
for a, b in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do io.write(a, ":", b, ";") end print()
for a in string.gmatch("abc", "") do io.write("[", a, "]") end print()
for k in string.gmatch("^a^a", "^a") do io.write(k, ".") end print()
for w in string.gmatch("one two  three", "%a+") do io.write(w, "|") end print()
for p, w in string.gmatch("one two", "()(%a+)") do io.write(p, w, "|") end print()
for x in string.gmatch("", ".") do io.write("never") end print("empty")
print(pcall(string.gmatch, "abc"))
print(pcall(string.gmatch))
local it = string.gmatch("a1b2", "%a(%d)")
print(it(), it(), it(), it())
print(string.find("abc", "b", nil), string.find("abc", "b", "2"), string.match(12345, 3))
print(pcall(string.find, "abc", "b", "x"))
print(pcall(string.find, nil, "b"))
print(pcall(string.find, "abc"))
print(string.find(("a"):rep(1000) .. "b", ("a*"):rep(3) .. "b"))
print(string.match(string.rep("x", 100) .. "=1", "^(.-)=(.*)$"))
print(string.find("0", "\0"), string.match("0", "\0"), string.gsub("0", "\0", "<%0>"), string.find("a\0b", "\0b"), string.match("a\0b", "a%z"), string.find("a\0b", "%z"))
