-- Quarto image attributes: fig-alt becomes the alt text, fig-align a class; a slide whose only
-- content is one image gets .r-stretch so it fills the slide (Quarto's auto-stretch).

local function fix_image(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.attributes["alt"] = alt
    img.attributes["fig-alt"] = nil
  end
  local align = img.attributes["fig-align"]
  if align then
    img.classes:insert("quarto-figure-" .. align)
    img.attributes["fig-align"] = nil
  end
  return img
end

local function lone_image(block)
  if block.t == "Figure" then
    local inner = block.content[1]
    if #block.content == 1 and inner.t == "Plain" and #inner.content == 1 and inner.content[1].t == "Image" then
      return inner.content[1]
    end
  elseif (block.t == "Para" or block.t == "Plain") and #block.content == 1 and block.content[1].t == "Image" then
    return block.content[1]
  elseif block.t == "Div" and block.classes:includes("cell") then
    local visible = {}
    for _, b in ipairs(block.content) do visible[#visible + 1] = b end
    if #visible == 1 and visible[1].t == "Div" and visible[1].classes:includes("cell-output-display") then
      local inner = visible[1].content
      if #inner == 1 then return lone_image(inner[1]) end
    end
  elseif block.t == "Div" and block.classes:includes("cell-output-display") and #block.content == 1 then
    return lone_image(block.content[1])
  end
  return nil
end

local function is_aside(block)
  return block.t == "Div" and (block.classes:includes("notes") or block.classes:includes("aside"))
end

local function stretch(blocks, slide_level)
  local start = nil
  local function close(stop)
    if not start then return end
    local content = {}
    for i = start + 1, stop - 1 do
      if not is_aside(blocks[i]) then content[#content + 1] = blocks[i] end
    end
    local header = blocks[start]
    local opted_out = header.classes:includes("nostretch") or header.attributes["auto-stretch"] == "false"
    if #content == 1 and not opted_out then
      local img = lone_image(content[1])
      if img and not img.attributes["width"] and not img.attributes["height"]
          and not img.classes:includes("nostretch") then
        img.classes:insert("r-stretch")
      end
    end
  end
  for i, block in ipairs(blocks) do
    if block.t == "Header" and block.level <= slide_level or block.t == "HorizontalRule" then
      close(i)
      start = (block.t == "Header") and i or nil
    end
  end
  close(#blocks + 1)
end

-- .absolute elements: top/left/right/bottom/width/height attributes become inline style
-- (bare numbers are pixels), as in Quarto.
local function absolute(el)
  if not el.classes or not el.classes:includes("absolute") then return nil end
  local style = { "position: absolute" }
  for _, key in ipairs({ "top", "left", "right", "bottom", "width", "height" }) do
    local value = el.attributes[key]
    if value then
      if value:match("^%-?[%d%.]+$") then value = value .. "px" end
      style[#style + 1] = key .. ": " .. value
      el.attributes[key] = nil
    end
  end
  local existing = el.attributes["style"]
  el.attributes["style"] = table.concat(style, "; ") .. (existing and ("; " .. existing) or "")
  return el
end

-- A `#` heading with nothing under it is a section title slide: centred, as in Quarto.
local function centre_section_titles(blocks, level)
  for i, block in ipairs(blocks) do
    if block.t == "Header" and block.level < level then
      local next_block = blocks[i + 1]
      local empty = next_block == nil or next_block.t == "HorizontalRule"
          or (next_block.t == "Header" and next_block.level <= level)
      if empty and not block.classes:includes("center") then block.classes:insert("center") end
    end
  end
end

function Pandoc(doc)
  local level = tonumber(pandoc.utils.stringify(doc.meta["slide-level"] or "2")) or 2
  centre_section_titles(doc.blocks, level)
  doc = doc:walk({
    Image = function(img) return absolute(fix_image(img)) or img end,
    Div = absolute,
    Span = absolute,
  })
  if doc.meta["auto-stretch"] ~= false then
    stretch(doc.blocks, level)
  end
  return doc
end
