# The production GitHub environment and who approves deploys into it, as code: the deploy
# workflow's `environment: production` waits for one of these reviewers.
resource "github_repository_environment" "production" {
  repository  = "platform"
  environment = "production"

  reviewers {
    teams = [var.sre_team_id]
  }

  deployment_branch_policy {
    protected_branches     = true
    custom_branch_policies = false
  }
}

variable "sre_team_id" {
  type        = number
  description = "GitHub team id of the SRE team, who approve production deploys"
}
