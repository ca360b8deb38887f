-- Quarto callouts: ::: {.callout-note title="..."} (note, tip, warning, important, caution).

local kinds = { note = "Note", tip = "Tip", warning = "Warning", important = "Important", caution = "Caution" }
local icons = { note = "i", tip = "✓", warning = "!", important = "!", caution = "!" }

function Div(div)
  local kind = nil
  for _, class in ipairs(div.classes) do
    local name = class:match("^callout%-(%a+)$")
    if name and kinds[name] then kind = name end
  end
  if not kind and div.classes:includes("callout") then kind = "note" end
  if not kind then return nil end

  local content = div.content
  local title = div.attributes["title"] and pandoc.read(div.attributes["title"], "markdown").blocks[1]
  if title then
    title = title.content
  elseif content[1] and content[1].t == "Header" then
    title = content[1].content
    content = pandoc.List({ table.unpack(content, 2) })
  else
    title = { pandoc.Str(kinds[kind]) }
  end
  local header = pandoc.Div(
    { pandoc.Plain({ pandoc.Span({ pandoc.Str(icons[kind]) }, { class = "callout-icon", ["aria-hidden"] = "true" }),
                     pandoc.Space(), pandoc.Span(title, { class = "callout-title" }) }) },
    { class = "callout-header" })
  local classes = { "callout", "callout-" .. kind }
  for _, class in ipairs(div.classes) do
    if class ~= "callout" and class ~= "callout-" .. kind then classes[#classes + 1] = class end
  end
  return pandoc.Div({ header, pandoc.Div(content, { class = "callout-body" }) },
    pandoc.Attr(div.identifier, classes))
end
