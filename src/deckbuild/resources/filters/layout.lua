-- Quarto layouts: layout-ncol / layout-nrow / layout="[[1,1],[1]]" on a div arrange its
-- blocks (or the images of a lone paragraph) in a grid.

local function items(div)
  local out = {}
  for _, block in ipairs(div.content) do
    local images = {}
    local only_images = (block.t == "Para" or block.t == "Plain")
    if only_images then
      for _, inline in ipairs(block.content) do
        if inline.t == "Image" then images[#images + 1] = inline
        elseif inline.t ~= "Space" and inline.t ~= "SoftBreak" then only_images = false end
      end
    end
    if only_images and #images > 1 then
      for _, img in ipairs(images) do out[#out + 1] = pandoc.Plain({ img }) end
    else
      out[#out + 1] = block
    end
  end
  return out
end

local function cell(block)
  return pandoc.Div({ block }, { class = "quarto-layout-cell" })
end

function Div(div)
  local ncol, nrow, spec = div.attributes["layout-ncol"], div.attributes["layout-nrow"], div.attributes["layout"]
  if not (ncol or nrow or spec) then return nil end
  local blocks = items(div)
  div.attributes["layout-ncol"], div.attributes["layout-nrow"], div.attributes["layout"] = nil, nil, nil
  div.classes:insert("quarto-layout-panel")
  if spec then
    local rows, k = {}, 1
    for row in spec:gmatch("%[([^%[%]]+)%]") do
      local widths, cells = {}, {}
      for w in row:gmatch("[%d%.%-]+") do
        local width = tonumber(w)
        if width > 0 then
          widths[#widths + 1] = width .. "fr"
          cells[#cells + 1] = blocks[k] and cell(blocks[k]) or pandoc.Div({})
          k = k + 1
        else
          widths[#widths + 1] = (-width) .. "fr"
          cells[#cells + 1] = pandoc.Div({}, { class = "quarto-layout-spacer" })
        end
      end
      rows[#rows + 1] = pandoc.Div(cells, { class = "quarto-layout-row",
        style = "display: grid; grid-template-columns: " .. table.concat(widths, " ") .. ";" })
    end
    div.content = rows
    return div
  end
  local columns = tonumber(ncol) or math.ceil(#blocks / (tonumber(nrow) or 1))
  local cells = {}
  for _, block in ipairs(blocks) do cells[#cells + 1] = cell(block) end
  div.content = cells
  div.attributes["style"] = "display: grid; grid-template-columns: repeat(" .. columns .. ", minmax(0, 1fr));"
  return div
end
