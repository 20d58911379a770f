-- ArgoCD health of a Spindle (OAM) Application, from the status the operator mirrors from the orchestrator.
hs = {}
if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the Spindle operator"
  return hs
end
local st = obj.status
if obj.metadata.generation ~= nil and st.observedGeneration ~= obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "the operator has not seen this generation yet"
  return hs
end
local drifted = false
if st.conditions ~= nil then
  for _, c in ipairs(st.conditions) do
    if c.type == "Drifted" and c.status == "True" then drifted = true end
  end
end
if st.phase == "deployed" and not drifted then
  hs.status = "Healthy"
elseif st.phase == "deployed" and drifted then
  hs.status = "Degraded"
elseif st.phase == "failed" or st.phase == "invalid" then
  hs.status = "Degraded"
elseif st.phase == "undeployed" then
  hs.status = "Suspended"
else
  hs.status = "Progressing"   -- reconciling, waiting (for matching hosts)
end
hs.message = st.message
if drifted then hs.message = "drifted: " .. (hs.message or "") end
return hs
