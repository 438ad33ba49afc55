-- ARGV: p, node, nodeTtlMs, idTtlMs, then per client: id, room, pair ('' or 'peer|token'), username.
-- Makes Redis hold exactly this node's state (after Redis came back, or after this node was cleaned up
-- as dead): stale entries depart, missing ones are written. Returns the ids now owned by another node.
local node = ARGV[2]
local want = {}
for i = 5, #ARGV, 4 do want[ARGV[i] .. '|' .. ARGV[i + 1]] = true end
for _, e in ipairs(redis.call('SMEMBERS', p .. 'nodeids:' .. node)) do
  if not want[e] then
    local id, room = split2(e)
    depart(id, room, node)
  end
end
local conflicts = {}
for i = 5, #ARGV, 4 do
  local id, room, pair, username = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local v = redis.call('GET', p .. 'id:' .. id)
  if v and split2(v) ~= node then
    table.insert(conflicts, id)
  else
    redis.call('SET', p .. 'id:' .. id, node .. '|' .. room, 'PX', ARGV[4])
    redis.call('SADD', p .. 'nodeids:' .. node, id .. '|' .. room)
    if room ~= '' then
      local m = node .. '|' .. username
      if redis.call('HGET', p .. 'room:' .. room, id) ~= m then
        redis.call('HSET', p .. 'room:' .. room, id, m)
        redis.call('SADD', p .. 'rooms', room)
        publish_presence('J', room, id, node, username)
      end
    elseif pair ~= '' then
      redis.call('SET', p .. 'pair:' .. id, pair)
    end
  end
end
redis.call('SET', p .. 'node:' .. node, '1', 'PX', ARGV[3])
redis.call('SADD', p .. 'nodes', node)
redis.call('DEL', p .. 'claim:' .. node)
local seq = redis.call('INCR', p .. 'seq')
redis.call('PUBLISH', p .. 'events', msg_resynced(seq))
return conflicts
