-- ARGV: p, node, id, room, idTtlMs, takeover key ('' = none).
-- 1 = registered; 0 = the id is in use somewhere in the cluster; 2 = taken over: another node held the id
-- for the same scope with the same takeover key (a PeerJS client reconnecting with its token), the id is
-- this node's now and the old node is told (msg_taken_over) to close its session.
local node, id, room, ttl, key = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6] or ''
if redis.call('SET', p .. 'id:' .. id, node .. '|' .. room, 'NX', 'PX', ttl) then
  redis.call('SADD', p .. 'nodeids:' .. node, id .. '|' .. room)
  if key ~= '' then redis.call('SET', p .. 'tk:' .. id, key) end
  return 1
end
if key == '' or redis.call('GET', p .. 'tk:' .. id) ~= key then return 0 end
local old, oldRoom = split2(redis.call('GET', p .. 'id:' .. id))
if old == node or oldRoom ~= room then return 0 end
redis.call('SREM', p .. 'nodeids:' .. old, id .. '|' .. room)
redis.call('SET', p .. 'id:' .. id, node .. '|' .. room, 'PX', ttl)
redis.call('SADD', p .. 'nodeids:' .. node, id .. '|' .. room)
redis.call('PUBLISH', p .. 'chan:' .. old, msg_taken_over(id, room))
return 2
