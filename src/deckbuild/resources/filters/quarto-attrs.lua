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

function Pandoc(doc)
  local level = tonumber(pandoc.utils.stringify(doc.meta["slide-level"] or "2")) or 2
  doc = doc:walk({
    Image = fix_image,
    -- section title slides are centred vertically, as in Quarto
    Header = function(h)
      if h.level < level and not h.classes:includes("center") then h.classes:insert("center") end
      return h
    end,
  })
  if doc.meta["auto-stretch"] ~= false then
    stretch(doc.blocks, level)
  end
  return doc
end
