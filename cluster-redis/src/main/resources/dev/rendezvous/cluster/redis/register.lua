-- ARGV: p, node, id, room, idTtlMs. 1 = registered, 0 = the id is in use somewhere in the cluster.
local node, id, room = ARGV[2], ARGV[3], ARGV[4]
if redis.call('SET', p .. 'id:' .. id, node .. '|' .. room, 'NX', 'PX', ARGV[5]) then
  redis.call('SADD', p .. 'nodeids:' .. node, id .. '|' .. room)
  return 1
end
return 0
