-- ARGV: p, node, id, room, username. Announces it ('J', msg_presence); 0 if id is not ours.
local node, id, room, username = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if node_of(id) ~= node then return 0 end
redis.call('HSET', p .. 'room:' .. room, id, node .. '|' .. username)
redis.call('SADD', p .. 'rooms', room)
return publish_presence('J', room, id, node, username)
