-- ARGV: p, node, requester, target, token. Atomic: checks in protocol order, then both pair keys.
-- Answers (read by ClusterPairs): 'W' already paired with the target, 'A|<current peer>' already paired,
-- 'N' peer not found, 'B' peer busy, 'P|<target node>' paired (the target's node, if not ours, is told
-- msg_paired).
local node, req, tgt, token = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local cur = redis.call('GET', p .. 'pair:' .. req)
if cur then
  local peer = split2(cur)
  if peer == tgt then return 'W' end
  return 'A|' .. peer
end
if node_of(req) ~= node then return 'N' end
local tv = redis.call('GET', p .. 'id:' .. tgt)
if not tv then return 'N' end
local tnode, troom = split2(tv)
if troom ~= '' then return 'N' end
if redis.call('EXISTS', p .. 'pair:' .. tgt) == 1 then return 'B' end
redis.call('SET', p .. 'pair:' .. req, tgt .. '|' .. token)
redis.call('SET', p .. 'pair:' .. tgt, req .. '|' .. token)
if tnode ~= node then
  redis.call('PUBLISH', p .. 'chan:' .. tnode, msg_paired(tgt, req, node, token))
end
return 'P|' .. tnode
