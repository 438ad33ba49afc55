-- ARGV: p. Every room's members at one presence sequence: { seq, room, n, id, "node|username", ..., room, ... }.
local out = { tostring(redis.call('GET', p .. 'seq') or 0) }
for _, r in ipairs(redis.call('SMEMBERS', p .. 'rooms')) do
  local h = redis.call('HGETALL', p .. 'room:' .. r)
  table.insert(out, r)
  table.insert(out, tostring(#h / 2))
  for _, x in ipairs(h) do table.insert(out, x) end
end
return out
