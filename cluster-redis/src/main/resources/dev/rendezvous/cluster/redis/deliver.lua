-- Delivery by id (Hub.deliver, the PeerJS endpoint). ARGV: p, to, scope, message (a BackplaneCodec 'I'
-- message, written by Java). 1 = published to the node holding `to` under `scope`, 0 = nobody holds it there.
local v = redis.call('GET', p .. 'id:' .. ARGV[2])
if not v then return 0 end
local node, room = split2(v)
if room ~= ARGV[3] then return 0 end
redis.call('PUBLISH', p .. 'chan:' .. node, ARGV[4])
return 1
