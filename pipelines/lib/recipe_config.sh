# The options every stage of a recipe shares, in one file of the experiment folder, $exp/config (sourced by
# lib/stages.sh): the dataset (data), the validation size (val), the subset (subset, empty for all), the
# seed (seed) and the image size (resize, empty for the dataset's own). Written on the first run and read
# by every later one, so that a rerun, or `--stage N`, continues the same experiment without repeating
# them. An option given on the command line replaces the file's value: the run prints the change and, as
# the commands of the stages that use it change, reruns those stages (and the ones after them). An option
# not given keeps the file's value; the recipe's defaults serve only when there is no file yet.

# recipe_config: sets data, val, subset, seed and resize from the command line (given[...]), else
# $exp/config, else their current values (the recipe's defaults), and writes them to $exp/config.
recipe_config() {
  local file=$exp/config key value
  local -A saved=()
  if [[ -f $file ]]; then
    while IFS='=' read -r key value; do
      [[ $key =~ ^[a-z]+$ ]] && saved[$key]=$value
    done <"$file"
  fi
  for key in data val subset seed resize; do
    if [[ -v given[$key] ]]; then
      value=${given[$key]}
    elif [[ -v saved[$key] ]]; then
      value=${saved[$key]}
    else
      value=${!key}
    fi
    if [[ -v saved[$key] && ${saved[$key]} != "$value" ]]; then
      echo "config: $key ${saved[$key]} -> $value ($file updated)"
    fi
    printf -v "$key" '%s' "$value"
  done
  {
    echo "# The options every stage of this experiment shares (pipelines/lib/recipe_config.sh)."
    for key in data val subset seed resize; do echo "$key=${!key}"; done
  } >"$file.tmp"
  mv -f "$file.tmp" "$file"
}
