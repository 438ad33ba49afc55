-- ARGV: p, then per local client paired across nodes: id, "peer|token", peer's node.
-- Returns the ids whose peer no longer holds the pairing while its node is alive (it re-registered
-- without it) or unknown (it never came back after Redis lost its data).
local gone = {}
for i = 2, #ARGV, 3 do
  local id, pv, pnode = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local peer, token = split2(pv)
  local alive = redis.call('EXISTS', p .. 'node:' .. pnode) == 1
  local known = redis.call('SISMEMBER', p .. 'nodes', pnode) == 1
  if (alive or not known) and redis.call('GET', p .. 'pair:' .. peer) ~= id .. '|' .. token then
    if redis.call('GET', p .. 'pair:' .. id) == pv then redis.call('DEL', p .. 'pair:' .. id) end
    table.insert(gone, id)
  end
end
return gone
