# dev: the whole platform at small scale, plus a scratch database for load tests.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }

  backend "s3" {
    bucket         = "northwind-terraform-state"
    key            = "environments/dev/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  name = "northwind-dev"
  cidr = "10.10.0.0/16"
}

module "vpc" {
  source = "../../modules/vpc"

  name            = local.name
  cidr            = local.cidr
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.10.1.0/24", "10.10.2.0/24"]
  public_subnets  = ["10.10.101.0/24", "10.10.102.0/24"]
}

module "eks" {
  source = "../../modules/eks"

  cluster_name = local.name
  subnet_ids   = module.vpc.private_subnet_ids
}

module "ledger_db" {
  source = "../../modules/rds"

  identifier            = "${local.name}-ledger"
  subnet_ids            = module.vpc.private_subnet_ids
  vpc_id                = module.vpc.vpc_id
  app_security_group_id = module.vpc.alb_security_group_id
  deletion_protection   = false
}

# Load-test scratch database, created by hand-copied code.
resource "aws_db_instance" "scratch" {
  identifier                  = "${local.name}-scratch"
  engine                      = "postgres"
  instance_class              = "db.t4g.small"
  allocated_storage           = 20
  username                    = "loadtest"
  manage_master_user_password = true
  backup_retention_period     = 1
  skip_final_snapshot         = true
}
