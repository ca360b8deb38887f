-- Quarto cross-references: figures and tables with ids fig-... / tbl-... are numbered
-- ("Figure 1: caption"), and @fig-x / @tbl-x become links "Figure 1" / "Table 1".

local numbers = {}
local labels = { fig = "Figure", tbl = "Table" }

local function number(id)
  local kind = id:match("^(%a+)%-")
  if not labels[kind] then return nil end
  numbers[kind] = numbers[kind] or { count = 0 }
  if not numbers[kind][id] then
    numbers[kind].count = numbers[kind].count + 1
    numbers[kind][id] = numbers[kind].count
  end
  return labels[kind] .. " " .. numbers[kind][id]
end

local function prefix_caption(caption, label)
  local long = caption.long
  if long and #long > 0 and long[1].content then
    long[1].content:insert(1, pandoc.Str(label .. ":"))
    long[1].content:insert(2, pandoc.Space())
  end
end

function Pandoc(doc)
  -- number in document order first (captions are edited in place), then resolve references
  doc = doc:walk({
    Figure = function(fig)
      local id = fig.identifier
      if id == "" then
        fig.content = fig.content:walk({ Image = function(img)
          if img.identifier ~= "" and id == "" then id = img.identifier; img.identifier = "" end
          return img
        end })
      end
      local label = id ~= "" and number(id)
      if label then
        fig.identifier = id
        prefix_caption(fig.caption, label)
      end
      return fig
    end,
    Table = function(tbl)
      local label = tbl.identifier ~= "" and number(tbl.identifier)
      if label then prefix_caption(tbl.caption, label) end
      return tbl
    end,
  })
  return doc:walk({
    Cite = function(cite)
      local out = pandoc.List({})
      for i, citation in ipairs(cite.citations) do
        local kind = citation.id:match("^(%a+)%-")
        local n = kind and numbers[kind] and numbers[kind][citation.id]
        if not n then return nil end
        if i > 1 then out:insert(pandoc.Str(", ")) end
        out:insert(pandoc.Link({ pandoc.Str(labels[kind] .. " " .. n) }, "#" .. citation.id))
      end
      return out
    end,
  })
end
