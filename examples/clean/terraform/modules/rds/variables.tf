variable "identifier" {
  type = string
}

variable "instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "vpc_id" {
  type = string
}

variable "app_security_group_id" {
  type = string
}

variable "backup_retention_days" {
  type    = number
  default = 14

  validation {
    condition     = var.backup_retention_days >= 7
    error_message = "Keep backups for at least a week."
  }
}

variable "db_password_secret_arn" {
  description = "Secrets Manager secret with the application's database password."
  type        = string
  default     = ""
}
