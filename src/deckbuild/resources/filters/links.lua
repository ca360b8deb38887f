-- Links and images: other.qmd (optionally #anchor) points at the rendered other.html, and paths
-- starting with / resolve from the project root, as in Quarto projects.

local offset = "."

local function is_local(target)
  return not target:match("^%a[%w+.-]*:") and not target:match("^//") and not target:match("^#")
end

local function from_root(target)
  if target:match("^/[^/]") then return offset .. target end
  return target
end

function Meta(meta)
  if meta["deckbuild-project-offset"] then
    offset = pandoc.utils.stringify(meta["deckbuild-project-offset"])
  end
end

function Link(link)
  if is_local(link.target) then
    link.target = from_root(link.target):gsub("%.qmd(#?)", ".html%1", 1)
  end
  return link
end

function Image(img)
  if is_local(img.src) then img.src = from_root(img.src) end
  return img
end

return { { Meta = Meta }, { Link = Link, Image = Image } }
