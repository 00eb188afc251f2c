variable "prefix" {
  type = string
}
