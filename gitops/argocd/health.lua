-- Argo CD health check for tweetbot.io/TweetBot, driven by status.conditions and observedGeneration.
--   Suspended   the Suspended condition is True (spec.suspend)
--   Degraded    the Failed condition is True (its reason and message are shown)
--   Healthy     the Succeeded condition is True, or the last successful run's model fits the current spec
--               (status.lastSuccessfulRun.generation: a scheduled retrain is in progress)
--   Progressing otherwise: no status yet, a status older than the spec (observedGeneration < generation),
--               Pending or Running
-- A condition only counts when it describes the current generation (its own observedGeneration, if set).
local hs = {}

local function condition(status, ctype, generation)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == ctype then
      if c.observedGeneration ~= nil and generation ~= nil and c.observedGeneration ~= generation then
        return nil
      end
      return c
    end
  end
  return nil
end

local function describe(c, default)
  local text = c.reason or default
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. c.message
  end
  return text
end

local status = obj.status
local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end

if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to pick up this TweetBot"
  return hs
end

if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

-- The first of these conditions that is True decides.
local verdicts = {{"Suspended", "Suspended"}, {"Failed", "Degraded"}, {"Succeeded", "Healthy"}}
for _, verdict in ipairs(verdicts) do
  local c = condition(status, verdict[1], generation)
  if c ~= nil and c.status == "True" then
    hs.status = verdict[2]
    hs.message = describe(c, verdict[1])
    if verdict[2] == "Healthy" and status.modelURI ~= nil then
      hs.message = "Model at " .. status.modelURI
    elseif verdict[2] == "Degraded" and status.modelURI ~= nil then
      hs.message = hs.message .. " (still serving the model at " .. status.modelURI .. ")"
    end
    return hs
  end
end

local last = status.lastSuccessfulRun
if last ~= nil and last.generation ~= nil and last.generation == generation and status.modelURI ~= nil then
  hs.status = "Healthy"
  hs.message = "Model at " .. status.modelURI .. "; a newer run is " .. tostring(status.phase or "Pending")
  return hs
end

hs.status = "Progressing"
local c = condition(status, "Running", generation)
if c ~= nil and c.status == "True" then
  hs.message = describe(c, "Running")
  if status.progress ~= nil and status.progress.percent ~= nil then
    hs.message = hs.message .. " (" .. tostring(status.progress.percent) .. "%)"
  end
else
  hs.message = "Pending"
  if status.phase ~= nil then
    hs.message = status.phase
  end
end
return hs
